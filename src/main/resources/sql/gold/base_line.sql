-- Order lines with the product and category every line-grain Gold table groups by.
-- Lines of products missing from dim_product still count (category 'UNKNOWN').
SELECT l.order_id, l.product_id, l.customer_id, l.order_date,
       l.quantity, l.gross_amount, l.discount_amount, l.net_amount, l.source,
       p.product_name, p.category_id, COALESCE(p.category_name, 'UNKNOWN') AS category_name
FROM fact_order_line l
LEFT JOIN product p ON p.product_id = l.product_id
