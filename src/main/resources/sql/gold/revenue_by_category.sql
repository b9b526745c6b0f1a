-- revenue_by_category: one row per product category, best first.
SELECT category_id,
       category_name,
       net_revenue,
       quantity,
       orders,
       CAST(net_revenue AS DOUBLE) / NULLIF(CAST(SUM(net_revenue) OVER () AS DOUBLE), 0) AS revenue_share,
       RANK() OVER (ORDER BY net_revenue DESC) AS rank
FROM revenue_by_category_sums
