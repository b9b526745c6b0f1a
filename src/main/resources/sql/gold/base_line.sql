-- Order lines with the product and category every line-grain Gold table groups by.
-- Lines of products missing from dim_product still count (category 'UNKNOWN').
-- The product catalogue is broadcast: Spark cannot size the pinned Silver reads (planned RDDs), so
-- without the hint it shuffled every line to join them with a few dozen products (2.2M lines at
-- scale 1000, a stage of about 5 s of task time).
SELECT /*+ BROADCAST(p) */ l.order_id, l.product_id, l.customer_id, l.order_date,
       l.quantity, l.gross_amount, l.discount_amount, l.net_amount, l.source,
       p.product_name, p.category_id, COALESCE(p.category_name, 'UNKNOWN') AS category_name
FROM fact_order_line l
LEFT JOIN product p ON p.product_id = l.product_id
