-- revenue_by_category: one row per product category, best first.
WITH by_category AS (
  SELECT category_id,
         category_name,
         CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue,
         CAST(SUM(quantity) AS BIGINT)          AS quantity,
         COUNT(DISTINCT order_id)               AS orders
  FROM line_base
  GROUP BY category_id, category_name
)
SELECT category_id,
       category_name,
       net_revenue,
       quantity,
       orders,
       CAST(net_revenue AS DOUBLE) / NULLIF(CAST(SUM(net_revenue) OVER () AS DOUBLE), 0) AS revenue_share,
       RANK() OVER (ORDER BY net_revenue DESC) AS rank
FROM by_category
