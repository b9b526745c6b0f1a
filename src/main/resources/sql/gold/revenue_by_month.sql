-- revenue_by_month: one row per month with orders, with the running total since the first month.
SELECT month,
       DATE_FORMAT(month, 'yyyy-MM') AS year_month,
       orders,
       net_revenue,
       CAST(SUM(net_revenue) OVER (ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
            AS DECIMAL(30,8)) AS cumulative_net_revenue
FROM revenue_by_month_sums
