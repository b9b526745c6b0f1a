-- revenue_cumulative_by_country: one row per country and month with orders, running total per country.
SELECT country,
       month,
       DATE_FORMAT(month, 'yyyy-MM') AS year_month,
       net_revenue,
       CAST(SUM(net_revenue) OVER (PARTITION BY country ORDER BY month
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
            AS DECIMAL(30,8)) AS cumulative_net_revenue
FROM revenue_cumulative_by_country_sums
