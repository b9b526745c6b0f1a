-- Recency (days from the day after the last order date in the data to the customer's last order),
-- frequency (distinct orders) and monetary (net revenue) of every customer with an order.
SELECT o.customer_id,
       ((SELECT MAX(order_date) FROM orders) + 1) - MAX(o.order_date) AS recency_days,
       COUNT(DISTINCT o.order_id) AS frequency,
       COALESCE(SUM(od.unit_price::numeric * od.quantity * (1 - od.discount::numeric)), 0) AS monetary
FROM orders o
LEFT JOIN order_details od ON od.order_id = o.order_id
WHERE o.customer_id IS NOT NULL
GROUP BY o.customer_id
ORDER BY o.customer_id
