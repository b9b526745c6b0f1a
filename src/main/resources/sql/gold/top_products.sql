-- top_products: one row per product sold, best first.
SELECT product_id,
       product_name,
       category_name,
       net_revenue,
       quantity,
       orders,
       RANK() OVER (ORDER BY net_revenue DESC) AS rank
FROM top_products_sums
