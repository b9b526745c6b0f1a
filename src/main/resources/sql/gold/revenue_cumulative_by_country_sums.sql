-- revenue_cumulative_by_country's sums by country and month: additive over new orders.
SELECT country,
       TRUNC(order_date, 'MM')                AS month,
       CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue
FROM order_base
WHERE order_date IS NOT NULL
GROUP BY country, TRUNC(order_date, 'MM')
