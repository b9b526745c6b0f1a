-- Number of order lines.
SELECT COUNT(*) AS order_lines FROM order_details
