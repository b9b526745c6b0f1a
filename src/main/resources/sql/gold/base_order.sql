-- Orders (baskets) with the customer's current country; orders of customers missing from
-- dim_customer still count (country 'UNKNOWN').
SELECT o.order_id, o.customer_id, o.employee_id, o.order_date, o.net_amount, o.source,
       COALESCE(c.country, 'UNKNOWN') AS country
FROM fact_order o
LEFT JOIN customer c ON c.customer_id = o.customer_id
