-- Net revenue per product category.
SELECT cat.category_name,
       SUM(od.unit_price::numeric * od.quantity * (1 - od.discount::numeric)) AS net_revenue
FROM order_details od
JOIN products p ON p.product_id = od.product_id
JOIN categories cat ON cat.category_id = p.category_id
GROUP BY cat.category_name
ORDER BY net_revenue DESC
