-- Net revenue per customer country (upper-cased, as Silver normalises it).
SELECT UPPER(c.country) AS country,
       SUM(od.unit_price::numeric * od.quantity * (1 - od.discount::numeric)) AS net_revenue
FROM order_details od
JOIN orders o ON o.order_id = od.order_id
JOIN customers c ON c.customer_id = o.customer_id
GROUP BY UPPER(c.country)
ORDER BY net_revenue DESC
