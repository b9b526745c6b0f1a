-- Total net revenue, exact: real -> numeric through its shortest text, as Silver converts it.
SELECT SUM(od.unit_price::numeric * od.quantity * (1 - od.discount::numeric)) AS net_revenue
FROM order_details od
