-- top_products' sums by product: additive over new orders (their lines).
SELECT product_id,
       MAX(product_name)                      AS product_name,
       MAX(category_name)                     AS category_name,
       CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue,
       CAST(SUM(quantity) AS BIGINT)          AS quantity,
       COUNT(DISTINCT order_id)               AS orders
FROM line_base
GROUP BY product_id
