-- top_products' sums by product: additive over new orders (their lines).
-- fact_order_line holds each (order_id, product_id) once (its MERGE key), so within one product
-- COUNT(order_id) counts orders: COUNT(DISTINCT ...) would shuffle every line for nothing.
SELECT product_id,
       MAX(product_name)                      AS product_name,
       MAX(category_name)                     AS category_name,
       CAST(SUM(net_amount) AS DECIMAL(30,8)) AS net_revenue,
       CAST(SUM(quantity) AS BIGINT)          AS quantity,
       COUNT(order_id)                        AS orders
FROM line_base
GROUP BY product_id
