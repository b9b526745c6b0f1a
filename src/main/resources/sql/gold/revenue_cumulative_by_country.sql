-- revenue_cumulative_by_country: one row per country and month with orders, running total per country.
WITH by_country_month AS (
  SELECT country,
         TRUNC(order_date, 'MM')                AS month,
         CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue
  FROM order_base
  WHERE order_date IS NOT NULL
  GROUP BY country, TRUNC(order_date, 'MM')
)
SELECT country,
       month,
       DATE_FORMAT(month, 'yyyy-MM') AS year_month,
       net_revenue,
       CAST(SUM(net_revenue) OVER (PARTITION BY country ORDER BY month
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
            AS DECIMAL(30,8)) AS cumulative_net_revenue
FROM by_country_month
