-- revenue_by_month: one row per month with orders, with the running total since the first month.
WITH by_month AS (
  SELECT TRUNC(order_date, 'MM')                AS month,
         COUNT(DISTINCT order_id)               AS orders,
         CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue
  FROM order_base
  WHERE order_date IS NOT NULL
  GROUP BY TRUNC(order_date, 'MM')
)
SELECT month,
       DATE_FORMAT(month, 'yyyy-MM') AS year_month,
       orders,
       net_revenue,
       CAST(SUM(net_revenue) OVER (ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
            AS DECIMAL(30,8)) AS cumulative_net_revenue
FROM by_month
