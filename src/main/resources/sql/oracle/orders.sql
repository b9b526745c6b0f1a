-- Number of orders (baskets).
SELECT COUNT(*) AS orders FROM orders
