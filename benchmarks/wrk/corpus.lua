-- wrk script: each request carries the next body of a JSON-lines file, so the load follows the corpus.
-- Environment: BENCH_BODIES (file, one request body a line; none for GET), BENCH_METHOD, BENCH_AUTH (bearer
-- secret), BENCH_COOKIE, BENCH_UA, BENCH_IDEMPOTENCY (a run label: adds a unique Idempotency-Key), BENCH_IDS_DIR
-- (where each thread writes the ids of the comments its 2xx answers acknowledged).
local bodies_path = os.getenv("BENCH_BODIES")
local method = os.getenv("BENCH_METHOD") or "GET"
local auth = os.getenv("BENCH_AUTH")
local cookie = os.getenv("BENCH_COOKIE")
local agent = os.getenv("BENCH_UA") or "moderation-bench"
local run_label = os.getenv("BENCH_IDEMPOTENCY")
local ids_dir = os.getenv("BENCH_IDS_DIR")

local threads = {}
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_id", thread_count)
   table.insert(threads, thread)
end

function init(args)
   bodies = {}
   if bodies_path then
      for line in io.lines(bodies_path) do bodies[#bodies + 1] = line end
   end
   position = (thread_id * 7919) % math.max(#bodies, 1)
   sent, ok, failed, last_failure = 0, 0, 0, 0
   headers = {["User-Agent"] = agent}
   if #bodies > 0 then headers["Content-Type"] = "application/json" end
   if auth then headers["Authorization"] = "Bearer " .. auth end
   if cookie then headers["Cookie"] = cookie end
   if ids_dir then ids_file = io.open(ids_dir .. "/ids-" .. thread_id .. ".txt", "a") end
end

function request()
   sent = sent + 1
   if run_label then headers["Idempotency-Key"] = run_label .. "-" .. thread_id .. "-" .. sent end
   local body = nil
   if #bodies > 0 then
      position = position % #bodies + 1
      body = bodies[position]
   end
   return wrk.format(method, nil, headers, body)
end

function response(status, response_headers, body)
   if status >= 200 and status < 300 then
      ok = ok + 1
      if ids_file then
         local id = string.match(body, '"id":%s*(%d+)')
         if id then ids_file:write(id, "\n"); ids_file:flush() end
      end
   else
      failed = failed + 1
      last_failure = status
   end
end

function done(summary, latency, requests)
   local ok_total, failed_total, sent_total, last = 0, 0, 0, 0
   for _, thread in ipairs(threads) do
      ok_total = ok_total + thread:get("ok")
      failed_total = failed_total + thread:get("failed")
      sent_total = sent_total + thread:get("sent")
      if thread:get("last_failure") ~= 0 then last = thread:get("last_failure") end
   end
   local errors = summary.errors
   io.write(string.format(
      'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "ok": %d, "failed": %d, ' ..
      '"sent": %d, "last_failure": %d, "socket_errors": %d, "timeouts": %d}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), ok_total, failed_total,
      sent_total, last, errors.connect + errors.read + errors.write, errors.timeout))
end
