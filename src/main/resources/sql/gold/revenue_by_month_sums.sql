-- revenue_by_month's sums by month: additive over new orders (GoldDatasets.ADDITIVE).
SELECT TRUNC(order_date, 'MM')                AS month,
       COUNT(DISTINCT order_id)               AS orders,
       CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue
FROM order_base
WHERE order_date IS NOT NULL
GROUP BY TRUNC(order_date, 'MM')
