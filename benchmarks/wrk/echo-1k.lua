-- Scenario B: POST /echo with a 1 KiB body, sent with its Content-Length on a keep-alive connection.
wrk.method = "POST"
wrk.body = string.rep("x", 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
