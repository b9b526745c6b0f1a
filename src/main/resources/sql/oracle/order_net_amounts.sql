-- Net amount of every order (basket), exact; orders without lines count 0. For the median basket.
SELECT o.order_id,
       COALESCE(SUM(od.unit_price::numeric * od.quantity * (1 - od.discount::numeric)), 0) AS net_amount
FROM orders o
LEFT JOIN order_details od ON od.order_id = o.order_id
GROUP BY o.order_id
ORDER BY o.order_id
