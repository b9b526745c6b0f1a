-- revenue_by_country: one row per customer country (current dim_customer row), best first.
-- fact_order holds each order once (its MERGE key is order_id), so COUNT(order_id) counts orders:
-- COUNT(DISTINCT ...) would add a shuffle of every order for nothing.
WITH by_country AS (
  SELECT country,
         CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue,
         COUNT(order_id)                        AS orders,
         COUNT(DISTINCT customer_id)            AS customers
  FROM order_base
  GROUP BY country
)
SELECT country,
       net_revenue,
       orders,
       customers,
       CAST(CAST(net_revenue AS DECIMAL(38,8)) / NULLIF(orders, 0) AS DECIMAL(30,8)) AS avg_basket,
       CAST(net_revenue AS DOUBLE) / NULLIF(CAST(SUM(net_revenue) OVER () AS DOUBLE), 0) AS revenue_share,
       RANK() OVER (ORDER BY net_revenue DESC) AS rank
FROM by_country
