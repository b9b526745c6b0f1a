-- revenue_by_month's sums by month: additive over new orders (GoldDatasets.ADDITIVE).
-- fact_order holds each order once (its MERGE key is order_id), so COUNT(order_id) counts orders:
-- COUNT(DISTINCT ...) would add a shuffle of every order for nothing.
SELECT TRUNC(order_date, 'MM')                AS month,
       COUNT(order_id)                        AS orders,
       CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue
FROM order_base
WHERE order_date IS NOT NULL
GROUP BY TRUNC(order_date, 'MM')
