-- wrk script for `pacto serve`: POSTs the lines of a corpus (each a case, or
-- {"case", "now"}) to /v1/policies/$POLICY/decide in turn. Set CORPUS and POLICY.
local path = "/v1/policies/" .. (os.getenv("POLICY") or "standard") .. "/decide"
local requests = {}
for line in io.lines(os.getenv("CORPUS")) do
  if #line > 0 then
    requests[#requests + 1] =
      wrk.format("POST", path, { ["Content-Type"] = "application/json" }, line)
  end
end
local i = 0
request = function()
  i = i % #requests + 1
  return requests[i]
end
