-- Net revenue and orders per month (yyyy-MM), with the running total.
SELECT year_month,
       orders,
       net_revenue,
       SUM(net_revenue) OVER (ORDER BY year_month) AS cumulative_net_revenue
FROM (
  SELECT to_char(date_trunc('month', o.order_date), 'YYYY-MM') AS year_month,
         COUNT(DISTINCT o.order_id) AS orders,
         SUM(od.unit_price::numeric * od.quantity * (1 - od.discount::numeric)) AS net_revenue
  FROM order_details od
  JOIN orders o ON o.order_id = od.order_id
  GROUP BY 1
) m
ORDER BY year_month
