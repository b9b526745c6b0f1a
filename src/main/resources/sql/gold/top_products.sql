-- top_products: one row per product sold, best first.
SELECT product_id,
       product_name,
       category_name,
       net_revenue,
       quantity,
       orders,
       RANK() OVER (ORDER BY net_revenue DESC) AS rank
FROM (
  SELECT product_id,
         MAX(product_name)                      AS product_name,
         MAX(category_name)                     AS category_name,
         CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue,
         CAST(SUM(quantity) AS BIGINT)          AS quantity,
         COUNT(DISTINCT order_id)               AS orders
  FROM line_base
  GROUP BY product_id
)
