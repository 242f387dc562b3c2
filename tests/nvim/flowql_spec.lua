-- Run by tests/editor_nvim.rs in headless Neovim (Debian's 0.7.2, and 0.11 from PyPI, in CI):
--   nvim --headless -u NONE -i NONE -c "luafile tests/nvim/flowql_spec.lua"
-- with FLOWQL_BIN, FLOWQL_PLUGIN (editors/nvim) and FLOWQL_FIXTURE (tests/fixtures/editors).
-- Opens a document with a payload mistake and a GraphQL mistake through the plugin, and checks
-- the diagnostics Neovim received, a hover, the quick fix applied to the buffer, a payload
-- file, the commands and :checkhealth, an SDK call's code lens run, a flow run from its "Run"
-- lens against the fake platform (FLOWQL_RUN_KIT: a kit whose .env points at it), once with
-- the call's payload and once with one typed in. Prints one line per check; exits 1 on any
-- failure.
local failures = 0

local function log(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end

local function check(name, condition, detail)
  if condition then
    log("ok - " .. name)
  else
    failures = failures + 1
    log("not ok - " .. name .. (detail and (": " .. vim.inspect(detail)) or ""))
  end
end

local function finish()
  log(("%d failed"):format(failures))
  vim.cmd(failures == 0 and "qall!" or "cquit! 1")
end

local ok, err = pcall(function()
  local bin = assert(os.getenv("FLOWQL_BIN"), "FLOWQL_BIN")
  local fixture = assert(os.getenv("FLOWQL_FIXTURE"), "FLOWQL_FIXTURE")
  vim.opt.runtimepath:prepend(assert(os.getenv("FLOWQL_PLUGIN"), "FLOWQL_PLUGIN"))
  vim.cmd("filetype on")

  local flowql = require("flowql")
  flowql.setup({ path = bin, settings = { strict = false } })
  local version = vim.version()
  log(("api - Neovim %d.%d.%d: %s"):format(version.major, version.minor, version.patch,
    (vim.lsp.config and vim.lsp.enable) and "vim.lsp.config/enable"
      or vim.lsp.start and "vim.lsp.start" or "vim.lsp.start_client"))
  if vim.lsp.config and vim.lsp.enable then
    check("registered with vim.lsp.config", vim.lsp.config.flowql ~= nil and vim.lsp.config.flowql.cmd[1] == bin)
  end

  -- The operation: diagnostics with codes, lines and columns (0-based, UTF-16 = bytes here).
  local started = vim.loop.hrtime()
  vim.cmd("edit " .. fixture .. "/run.graphql")
  local bufnr = vim.api.nvim_get_current_buf()
  check("the filetype is graphql", vim.bo.filetype == "graphql", vim.bo.filetype)
  local got = vim.wait(15000, function()
    return #vim.diagnostic.get(bufnr) >= 3
  end, 20)
  log(("time - from :edit to diagnostics (server start included): %.1f ms"):format((vim.loop.hrtime() - started) / 1e6))
  local diagnostics = vim.diagnostic.get(bufnr)
  table.sort(diagnostics, function(a, b)
    return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col)
  end)
  local seen = {}
  for _, d in ipairs(diagnostics) do
    table.insert(seen, { d.code, d.lnum, d.col, d.end_col, d.severity })
  end
  local W = vim.diagnostic.severity.WARN
  check("diagnostics arrive", got, seen)
  check("codes, lines and columns", vim.deep_equal(seen, {
    { "PAYLOAD_MISSING_FIELD", 3, 60, 68, W },
    { "PAYLOAD_UNKNOWN_FIELD", 3, 89, 95, W },
    { "UNKNOWN_FIELD", 6, 4, 9, W },
  }), seen)
  check("the message suggests the fix", diagnostics[2] and diagnostics[2].message:find("did you mean `bullets`", 1, true), diagnostics[2])

  local client = flowql.client(bufnr)
  check("the flowql client is attached", client ~= nil)

  -- Hover on the unknown field: the diagnostic explained, with its code.
  vim.api.nvim_win_set_cursor(0, { 7, 6 })
  local encoding = client and client.offset_encoding or "utf-16"
  local hovers = vim.lsp.buf_request_sync(bufnr, "textDocument/hover", vim.lsp.util.make_position_params(0, encoding), 5000)
  local hover_text = ""
  for _, response in pairs(hovers or {}) do
    if response.result and response.result.contents then
      hover_text = hover_text .. (response.result.contents.value or "")
    end
  end
  check("hover names the code and the fix", hover_text:find("UNKNOWN_FIELD", 1, true) and hover_text:find("result", 1, true), hover_text)

  -- The quick fix for the mistyped payload key, applied as Neovim applies a chosen action.
  local unknown = diagnostics[2]
  vim.api.nvim_win_set_cursor(0, { unknown.lnum + 1, unknown.col })
  local params = vim.lsp.util.make_range_params(0, encoding)
  params.range = {
    start = { line = unknown.lnum, character = unknown.col },
    ["end"] = { line = unknown.end_lnum, character = unknown.end_col },
  }
  -- The diagnostic as the server sent it: Neovim 0.11 keeps it whole in user_data.lsp, 0.7
  -- only its extra fields (code, data, ...), so range and message are put back.
  local sent = vim.tbl_extend("keep", unknown.user_data.lsp, {
    range = params.range,
    message = unknown.message,
    severity = unknown.severity,
    code = unknown.code,
    source = unknown.source,
  })
  params.context = { diagnostics = { sent }, only = { "quickfix" } }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 5000)
  local rename
  local titles = {}
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(titles, action.title)
      if action.title:find("bullets", 1, true) and action.edit then
        rename = action
      end
    end
  end
  check("a quick fix renames the key", rename ~= nil, { titles = titles, responses = responses })
  if rename then
    vim.lsp.util.apply_workspace_edit(rename.edit, encoding)
    local line = vim.api.nvim_buf_get_lines(bufnr, 3, 4, false)[1]
    check(
      "the buffer is edited as expected",
      line == '    payload: { url: "https://example.com/a", maxWords: 120, audience: { level: "expert", bullets: true } }',
      line
    )
    local cleared = vim.wait(10000, function()
      local now = vim.diagnostic.get(bufnr)
      return #now == 1 and now[1].code == "UNKNOWN_FIELD"
    end, 20)
    check("the payload diagnostics go after the fix", cleared, vim.diagnostic.get(bufnr))
  end

  -- The status notification the plugin keeps for statuslines.
  local has_status = vim.wait(5000, function()
    return flowql.statusline(bufnr) ~= ""
  end, 20)
  check("the statusline shows the schema source", has_status and flowql.statusline(bufnr) == "flowql: schema bundled", flowql.statusline(bufnr))

  -- A payload file of the configuration is attached; an unrelated JSON file is not.
  -- Opens a fixture file and waits for its first diagnostic: whether one came, and it.
  local function first_diagnostic(file)
    vim.cmd("edit " .. fixture .. "/" .. file)
    local buf = vim.api.nvim_get_current_buf()
    local ok = vim.wait(15000, function()
      return #vim.diagnostic.get(buf) >= 1
    end, 20)
    return ok, vim.diagnostic.get(buf)[1] or {}
  end
  local payload_ok, payload = first_diagnostic("payloads/short.json")
  check("the payload file is checked", payload_ok and payload.code == "PAYLOAD_TYPE_MISMATCH" and payload.lnum == 2 and payload.col == 14, payload)
  vim.cmd("edit " .. fixture .. "/flows/summarize-article.json")
  check("a JSON file flowql does not check gets no client", flowql.client(vim.api.nvim_get_current_buf()) == nil)

  -- JavaScript under the configuration: the GraphQL in its template is checked in place.
  local code_ok, in_code = first_diagnostic("app.js")
  check("GraphQL in JavaScript is checked", code_ok and in_code.code == "UNKNOWN_FIELD" and in_code.lnum == 3 and in_code.col == 64, in_code)

  -- One client for the whole root.
  local count = 0
  for _, c in pairs((vim.lsp.get_clients or vim.lsp.get_active_clients)()) do
    if c.name == "flowql" then
      count = count + 1
    end
  end
  check("one flowql client for the project", count == 1, count)

  -- The commands exist; :checkhealth reports the binary, the config and the schema source.
  check("commands are defined", vim.fn.exists(":FlowqlExplain") == 2 and vim.fn.exists(":FlowqlRefresh") == 2 and vim.fn.exists(":FlowqlStatus") == 2)
  vim.cmd("buffer " .. bufnr)
  vim.cmd("checkhealth flowql")
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  check("checkhealth shows the version", report:find("flowql %d+%.%d+%.%d+") ~= nil, report)
  check("checkhealth shows the configuration", report:find(fixture .. "/.graphqlrc.yml", 1, true) ~= nil, report)
  check("checkhealth shows the schema source", report:find("schema: bundled", 1, true) ~= nil, report)
  check("checkhealth counts the flows", report:find("flows known: 1", 1, true) ~= nil, report)

  -- TypeScript in a project of the platform's layout (lamatic.config.ts, no graphql-config):
  -- the SDK call's payload is checked.
  local kit_ok, in_kit = first_diagnostic("../../../examples/kits/debate-coach/apps/actions/debate.ts")
  check("an SDK call in a kit is checked", kit_ok and in_kit.code == "PAYLOAD_TYPE_MISMATCH" and in_kit.lnum == 11 and in_kit.col == 76, in_kit)

  -- Its code lenses: the flow over each resolved call; running one opens the flow's trigger.
  local kit_buf = vim.api.nvim_get_current_buf()
  local lens
  vim.wait(15000, function()
    for _, l in ipairs(vim.lsp.codelens.get(kit_buf) or {}) do
      if l.command and l.command.title == "Debate setup · 3 inputs · realtime" and l.range.start.line == 11 then
        lens = l
      end
    end
    return lens ~= nil
  end, 50)
  check("a code lens names the flow of an SDK call", lens ~= nil, vim.lsp.codelens.get(kit_buf))
  if lens then
    vim.api.nvim_win_set_cursor(0, { 12, 0 })
    vim.lsp.codelens.run()
    local opened = vim.wait(5000, function()
      return vim.api.nvim_buf_get_name(0):find("flows/debate%-setup%.ts$") ~= nil
    end, 20)
    local line = vim.api.nvim_win_get_cursor(0)[1]
    local text = vim.api.nvim_buf_get_lines(0, line - 1, line + 1, false)
    check("running it opens the flow's trigger", opened and table.concat(text, "\n"):find("triggerNode") ~= nil, { vim.api.nvim_buf_get_name(0), line, text })
  end

  -- Running flows: the kit's "Run" lenses, the report in a read-only buffer.
  local run_kit = assert(os.getenv("FLOWQL_RUN_KIT"), "FLOWQL_RUN_KIT")
  vim.cmd("edit " .. run_kit .. "/app/route.ts")
  local route = vim.api.nvim_get_current_buf()
  local runs = {}
  vim.wait(20000, function()
    runs = {}
    for _, l in ipairs(vim.lsp.codelens.get(route) or {}) do
      if l.command and l.command.title == "Run" then
        table.insert(runs, l.range.start.line)
      end
    end
    return #runs == 4
  end, 50)
  table.sort(runs)
  check("each call has a Run lens", vim.deep_equal(runs, { 4, 8, 12, 16 }), vim.lsp.codelens.get(route))
  -- Two lenses share each call's line: Neovim asks which; the user picks "Run".
  vim.ui.select = function(items, opts, on_choice)
    for i, item in ipairs(items) do
      local title = type(item) == "table" and ((item.command and item.command.title) or (item.lens and item.lens.command.title)) or item
      if title == "Run" or title == "Send anyway" then
        return on_choice(item, i)
      end
    end
    return on_choice(nil, nil)
  end
  local reports_seen = 0
  local function report_after_run(line)
    vim.api.nvim_set_current_buf(route)
    vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
    local before = reports_seen
    vim.lsp.codelens.run()
    local text
    vim.wait(20000, function()
      for _, buf in ipairs(vim.api.nvim_list_bufs()) do
        local name = vim.api.nvim_buf_get_name(buf)
        if name:find("flowql://report/", 1, true) and vim.bo[buf].filetype == "markdown" and (flowql.report_count or 0) > before then
          if not vim.bo[buf].modifiable then
            text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
            reports_seen = flowql.report_count
            return true
          end
        end
      end
      return false
    end, 50)
    return text
  end
  local realtime = report_after_run(4)
  check("Run shows the report in a read-only buffer", realtime ~= nil and realtime:find("**Finished**", 1, true) ~= nil and realtime:find("A short summary.", 1, true) ~= nil, realtime)
  -- The call's payload is only known at run time: the plugin asks for one.
  local asked
  vim.ui.input = function(opts, on_confirm)
    asked = opts.prompt
    on_confirm('{"url": "https://typed.example", "maxWords": 2}')
  end
  local typed = report_after_run(12)
  check("a payload is asked for and sent", asked ~= nil and asked:find("Payload for", 1, true) ~= nil and typed ~= nil and typed:find("typed.example", 1, true) ~= nil, { asked, typed })
  check("the run commands are defined", vim.fn.exists(":FlowqlCancel") == 2 and vim.fn.exists(":FlowqlExplainAnswer") == 2)

  -- An input field across files: from the payload key to its declaration in the flow's schema
  -- string, then renamed there and in every payload that sends it.
  vim.api.nvim_set_current_buf(route)
  local route_client = flowql.client(route)
  local route_encoding = route_client and route_client.offset_encoding or "utf-16"
  local line5 = vim.api.nvim_buf_get_lines(route, 4, 5, false)[1]
  vim.api.nvim_win_set_cursor(0, { 5, (line5:find("maxWords", 1, true)) })
  local definitions = vim.lsp.buf_request_sync(route, "textDocument/definition", vim.lsp.util.make_position_params(0, route_encoding), 5000)
  local target
  for _, response in pairs(definitions or {}) do
    local result = response.result
    target = result and (result.uri and result or result[1]) or target
  end
  check("a payload key leads into the flow's schema", target ~= nil and target.uri:find("flows/summarize%.ts$") ~= nil, definitions)
  vim.api.nvim_win_set_cursor(0, { 5, (line5:find("maxWords", 1, true)) })
  vim.lsp.buf.rename("max_words")
  local renamed = vim.wait(10000, function()
    local lines = table.concat(vim.api.nvim_buf_get_lines(route, 0, -1, false), "\n")
    return lines:find("max_words: 50", 1, true) ~= nil
  end, 50)
  local flow_buf = vim.fn.bufnr(run_kit .. "/flows/summarize.ts")
  local flow_lines = flow_buf ~= -1 and table.concat(vim.api.nvim_buf_get_lines(flow_buf, 0, -1, false), "\n") or ""
  local route_lines = table.concat(vim.api.nvim_buf_get_lines(route, 0, -1, false), "\n")
  local _, count = route_lines:gsub("max_words:", "")
  -- Three calls run the flow; the fourth runs another flow, whose `maxWords` stays.
  check("a field is renamed in its schema and every payload", renamed and count == 3 and flow_lines:find('max_words', 1, true) ~= nil and route_lines:find("maxWords: 200", 1, true) ~= nil, { count, route_lines, flow_lines })

  -- Without the binary: one warning that says how to install it, no error, no client.
  local notes = {}
  vim.notify = function(message, level)
    table.insert(notes, { message = message, level = level })
  end
  flowql.setup({ path = "/nonexistent/flowql" })
  local scratch = vim.fn.tempname()
  vim.fn.mkdir(scratch, "p")
  vim.cmd("edit " .. scratch .. "/a.graphql")
  vim.cmd("edit " .. scratch .. "/b.graphql")
  check("a missing binary is one warning with the install command", #notes == 1 and notes[1].message:find("cargo install", 1, true) ~= nil and notes[1].level == vim.log.levels.WARN, notes)
  check("and no client for it", flowql.client() == nil)
end)
check("the spec ran to its end", ok, err)
finish()
