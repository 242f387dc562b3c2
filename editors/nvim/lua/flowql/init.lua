-- flowql for Neovim: starts `flowql lsp` for GraphQL buffers, for the JSON files flowql checks
-- (payload files of the project's configuration, `*.variables.json`), and for JavaScript,
-- TypeScript and Python buffers under a graphql-config file or in a project of the platform's
-- layout (`lamatic.config.ts`: GraphQL in their literals, SDK flow calls), rooted at the nearest
-- graphql-config or lamatic.config file, or `.git`. Neovim 0.11+ uses vim.lsp.config/vim.lsp.enable, 0.8-0.10
-- vim.lsp.start, and 0.7 falls back to vim.lsp.start_client.
local M = {}

M.root_markers = {
  ".graphqlrc",
  ".graphqlrc.yml",
  ".graphqlrc.yaml",
  ".graphqlrc.json",
  ".graphqlrc.toml",
  "graphql.config.yml",
  "graphql.config.yaml",
  "graphql.config.json",
  "graphql.config.toml",
  -- The platform's own project layout (no graphql-config needed).
  "lamatic.config.ts",
  "lamatic.config.js",
  "lamatic.config.mjs",
  "lamatic.config.yaml",
  "lamatic.config.yml",
  ".git",
}

local defaults = {
  -- The flowql binary; "flowql" is looked up on PATH.
  path = "flowql",
  -- `flowql.*` settings (see docs/configuration.md), sent as initializationOptions and
  -- workspace/didChangeConfiguration: endpoint, projectId, apiKeyEnv, offline, strict, ...
  settings = {},
  filetypes = { "graphql", "json", "jsonc" },
  -- Code whose literals may hold GraphQL, and SDK flow calls; attached only under a
  -- graphql-config or lamatic.config file. Set to {}
  -- to leave code buffers alone.
  code_filetypes = { "javascript", "javascriptreact", "typescript", "typescriptreact", "python" },
  on_attach = nil,
  capabilities = nil,
  -- Code lenses over flow calls and flow files ("Debate setup · 3 inputs · realtime",
  -- "2 calls"), refreshed on entering a buffer and leaving insert mode. false turns them off.
  codelens = true,
}

M.options = vim.deepcopy(defaults)

-- The last `flowql/status` per buffer URI (where the schema comes from, the last fetch error).
M.statuses = {}

local function uv()
  return vim.uv or vim.loop
end

--- The folder of the nearest root marker above `path` (a file or folder), or nil.
function M.root_dir(path)
  local dir = vim.fn.fnamemodify(path, ":p"):gsub("/$", "")
  if vim.fn.isdirectory(dir) == 0 then
    dir = vim.fn.fnamemodify(dir, ":h")
  end
  while true do
    for _, marker in ipairs(M.root_markers) do
      if uv().fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

--- Whether a graphql-config file or a `lamatic.config` file (not only `.git`) is in `dir`.
function M.has_config(dir)
  for _, marker in ipairs(M.root_markers) do
    if marker ~= ".git" and uv().fs_stat(dir .. "/" .. marker) then
      return true
    end
  end
  return false
end

--- Whether buffers of this filetype are code that flowql reads the GraphQL literals of.
function M.is_code(filetype)
  return vim.tbl_contains(M.options.code_filetypes or {}, filetype)
end

--- What `flowql status --json` says about a folder (nil when flowql cannot run).
function M.project_status(dir)
  local output = vim.fn.system({ M.options.path, "status", "--json", dir })
  if vim.v.shell_error ~= 0 then
    return nil, output
  end
  local ok, status = pcall(vim.fn.json_decode, output)
  if not ok then
    return nil, output
  end
  return status
end

local json_globs = {}

--- Whether a JSON file is one flowql checks: `*.variables.json`, or a payload file of the
--- project's configuration (its globs come from `flowql status --json`, cached per root).
function M.is_checked_json(file, root)
  if file:match("%.variables%.json$") then
    return true
  end
  root = root or M.root_dir(file)
  if not root then
    return false
  end
  if json_globs[root] == nil then
    local status = M.project_status(root)
    json_globs[root] = status and status.jsonGlobs or {}
  end
  for _, glob in ipairs(json_globs[root]) do
    if vim.fn.match(file, vim.fn.glob2regpat(glob)) ~= -1 then
      return true
    end
  end
  return false
end

local function status_handler(err, result)
  if err or type(result) ~= "table" or not result.uri then
    return
  end
  M.statuses[result.uri] = result.status
  -- For statuslines: `autocmd User FlowqlStatus redrawstatus`.
  vim.api.nvim_exec_autocmds("User", { pattern = "FlowqlStatus", modeline = false })
end

--- The lenses' command (`flowql.showLocations`, arguments: uri, position, locations): one
--- location is jumped to, several go to the quickfix list, none is said.
function M.show_locations(command, ctx)
  local locations = (command.arguments or {})[3] or {}
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local encoding = client and client.offset_encoding or "utf-16"
  if #locations == 0 then
    vim.notify("flowql: no call of this flow in the project", vim.log.levels.INFO)
  elseif #locations == 1 then
    if vim.lsp.util.show_document then
      vim.lsp.util.show_document(locations[1], encoding, { focus = true })
    else
      vim.lsp.util.jump_to_location(locations[1], encoding)
    end
  else
    local items = vim.lsp.util.locations_to_items(locations, encoding)
    vim.fn.setqflist({}, " ", { title = command.title, items = items })
    vim.cmd("copen")
  end
end

local function refresh_lenses(bufnr)
  if vim.fn.has("nvim-0.10") == 1 then
    pcall(vim.lsp.codelens.refresh, { bufnr = bufnr })
  elseif vim.api.nvim_get_current_buf() == bufnr then
    pcall(vim.lsp.codelens.refresh)
  end
end

--- Shows the server's code lenses in a buffer, kept fresh, then runs the user's on_attach.
local function on_attach(client, bufnr)
  if M.options.codelens and client.server_capabilities.codeLensProvider then
    refresh_lenses(bufnr)
    vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "BufWritePost" }, {
      group = vim.api.nvim_create_augroup("flowql_lenses_" .. bufnr, { clear = true }),
      buffer = bufnr,
      callback = function()
        refresh_lenses(bufnr)
      end,
    })
  end
  if M.options.on_attach then
    M.options.on_attach(client, bufnr)
  end
end

--- The client configuration shared by every way of starting the server.
function M.config()
  local capabilities = M.options.capabilities or vim.lsp.protocol.make_client_capabilities()
  capabilities = vim.tbl_deep_extend("force", capabilities, { experimental = { flowqlStatus = true } })
  return {
    name = "flowql",
    cmd = { M.options.path, "lsp" },
    filetypes = M.options.filetypes,
    root_markers = M.root_markers,
    capabilities = capabilities,
    init_options = { flowql = M.options.settings },
    settings = { flowql = M.options.settings },
    handlers = { ["flowql/status"] = status_handler },
    on_attach = on_attach,
  }
end

local clients_by_root = {}
local warned_missing = false

--- Whether the binary runs; when it does not, says so once, with how to install it.
local function binary_ok()
  if vim.fn.executable(M.options.path) == 1 then
    return true
  end
  if not warned_missing then
    warned_missing = true
    vim.notify(
      ("flowql: `%s` was not found. Install it with `cargo install --locked --git https://github.com/flowql/flowql flowql`, or pass its path: require(\"flowql\").setup({ path = ... })"):format(
        M.options.path
      ),
      vim.log.levels.WARN
    )
  end
  return false
end

--- Attaches flowql to a buffer (GraphQL, or a JSON file it checks). Returns the client id.
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local file = vim.api.nvim_buf_get_name(bufnr)
  if file == "" then
    return nil
  end
  local filetype = vim.bo[bufnr].filetype
  local root = M.root_dir(file) or vim.fn.fnamemodify(file, ":p:h")
  local code = M.is_code(filetype)
  if code and not M.has_config(root) then
    return nil
  end
  if filetype ~= "graphql" and not code and not M.is_checked_json(file, root) then
    return nil
  end
  if not binary_ok() then
    return nil
  end
  M.last_attached = file
  local config = vim.tbl_extend("force", M.config(), { root_dir = root })
  if vim.lsp.start then
    return vim.lsp.start(config, { bufnr = bufnr })
  end
  -- Neovim 0.7: one client per root, started once and attached to each buffer.
  local id = clients_by_root[root]
  if not id or not vim.lsp.get_client_by_id(id) then
    config.workspace_folders = { { uri = vim.uri_from_fname(root), name = root } }
    id = vim.lsp.start_client(config)
    clients_by_root[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
  return id
end

--- The flowql client attached to a buffer, if any.
function M.client(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr, name = "flowql" })
    or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(clients) do
    if client.name == "flowql" then
      return client
    end
  end
  return nil
end

--- Shows a report (a run's, an explained answer's) in a read-only scratch buffer in a split.
function M.show_report(title, markdown)
  vim.cmd("botright new")
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].buftype = "nofile"
  vim.bo[buf].bufhidden = "wipe"
  vim.bo[buf].swapfile = false
  M.report_count = (M.report_count or 0) + 1
  pcall(vim.api.nvim_buf_set_name, buf, ("flowql://report/%d %s"):format(M.report_count, title))
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, vim.split(markdown, "\n", { plain = true }))
  vim.bo[buf].filetype = "markdown"
  vim.bo[buf].modifiable = false
  vim.bo[buf].readonly = true
  return buf
end

--- A JSON object for the server, `{}` included (an empty Lua table would be sent as `[]`).
local function as_object(value)
  if type(value) == "table" and vim.tbl_isempty(value) then
    return vim.empty_dict()
  end
  return value
end

--- Sends `flowql.runFlow` for the call at `position` of `uri` and handles the answer: asks
--- for a payload, offers to send one the flow rejects, or shows the report.
local function run_flow(client, uri, position, extra)
  local args = vim.tbl_extend("force", { uri = uri, position = position }, extra or {})
  local _, id = client.request("workspace/executeCommand", { command = "flowql.runFlow", arguments = { args } }, function(err, result)
    M.running = nil
    if err then
      vim.notify("flowql: " .. err.message, vim.log.levels.ERROR)
      return
    end
    if result.kind == "needsPayload" then
      vim.ui.input({ prompt = ("Payload for %s (JSON): "):format(result.title), default = "{}" }, function(text)
        if not text or text == "" then
          return
        end
        local ok, payload = pcall(vim.json.decode, text)
        if not ok or type(payload) ~= "table" then
          vim.notify("flowql: the payload is a JSON object, such as {\"topic\": \"...\"}", vim.log.levels.ERROR)
          return
        end
        run_flow(client, uri, position, vim.tbl_extend("force", extra or {}, { payload = as_object(payload) }))
      end)
    elseif result.kind == "notSent" and result.canForce then
      vim.ui.select({ "Send anyway", "Show why" }, { prompt = "flowql did not send the run: the flow's input schema rejects the payload" }, function(choice)
        if choice == "Send anyway" then
          run_flow(client, uri, position, vim.tbl_extend("force", extra or {}, { anyway = true }))
        elseif choice == "Show why" then
          M.show_report(result.title, result.markdown)
        end
      end)
    else
      M.show_report(result.title, result.markdown)
    end
  end)
  M.running = { client = client, id = id }
end

--- The "Run" lens (`flowql.run`, arguments: uri, position): the server runs the call.
function M.run(command, ctx)
  local client = vim.lsp.get_client_by_id(ctx.client_id)
  local args = command.arguments or {}
  if client then
    run_flow(client, args[1], args[2])
  end
end

--- `:FlowqlCancel`: stops the run going on (the server drops it; no poll is sent after).
function M.cancel()
  if M.running then
    M.running.client.cancel_request(M.running.id)
    M.running = nil
    vim.notify("flowql: run cancelled")
  end
end

--- The "Explain this answer" lens (`flowql.explainAnswer`, argument: uri), and
--- `:FlowqlExplainAnswer` on the current buffer (a JSON body or `curl -i` output), which needs
--- no server: `flowql explain --response -` reads the buffer.
function M.explain_answer(command, ctx)
  if command and ctx then
    local client = vim.lsp.get_client_by_id(ctx.client_id)
    if client then
      client.request("workspace/executeCommand", { command = "flowql.explainResponse", arguments = command.arguments }, function(err, result)
        if err then
          vim.notify("flowql: " .. err.message, vim.log.levels.ERROR)
        else
          M.show_report(result.title, result.markdown)
        end
      end)
    end
    return
  end
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  local report = vim.fn.system({ M.options.path, "explain", "--response", "-" }, text)
  return M.show_report("the answer", report)
end

local function show_markdown(text)
  local lines = vim.split(text, "\n", { plain = true })
  vim.lsp.util.open_floating_preview(lines, "markdown", { border = "rounded", max_width = 90 })
end

--- `:FlowqlExplain [CODE]`: the cause and fix of an error code (the one under the cursor when
--- no code is given).
function M.explain(code)
  local client = M.client()
  if not client then
    vim.notify("flowql is not attached to this buffer", vim.log.levels.WARN)
    return
  end
  if not code or code == "" then
    local line = vim.api.nvim_win_get_cursor(0)[1] - 1
    for _, d in ipairs(vim.diagnostic.get(0, { lnum = line })) do
      if d.source == "flowql" or d.code then
        code = d.code
        break
      end
    end
  end
  if not code then
    vim.notify("no flowql diagnostic on this line; give a code, e.g. :FlowqlExplain UNKNOWN_FIELD")
    return
  end
  client.request("workspace/executeCommand", { command = "flowql.explain", arguments = { code } }, function(err, result)
    if err then
      vim.notify("flowql: " .. err.message, vim.log.levels.ERROR)
    else
      show_markdown(result)
    end
  end)
end

--- `:FlowqlRefresh`: fetch every configured schema and flow list again.
function M.refresh()
  local client = M.client()
  if client then
    client.request("workspace/executeCommand", { command = "flowql.refreshSchemas", arguments = {} }, function() end)
  end
end

--- A short status for a statusline: "flowql: schema cached 3 h ago" ("" when unknown).
function M.statusline(bufnr)
  local status = M.statuses[vim.uri_from_bufnr(bufnr or 0)]
  if not status then
    return ""
  end
  local failed = status.schema.lastError ~= vim.NIL and status.schema.lastError and ", fetch failed" or ""
  return "flowql: schema " .. status.schema.summary .. failed
end

--- `:FlowqlStatus`: where this buffer's schema comes from, and the last fetch error.
function M.show_status()
  local status = M.statuses[vim.uri_from_bufnr(0)]
  if not status then
    vim.notify("flowql has not reported a status for this buffer yet")
    return
  end
  local lines = { "Schema: " .. status.schema.detail }
  if status.config ~= vim.NIL then
    table.insert(lines, "Configuration: " .. status.config)
  end
  table.insert(lines, "Flows known: " .. status.flows.count)
  local err = status.schema.lastError
  if err and err ~= vim.NIL then
    table.insert(lines, ("Last fetch failed: %s [%s, %s]. %s"):format(err.message, err.code, err.status, err.fix))
  end
  vim.notify(table.concat(lines, "\n"))
end

local function define_commands()
  vim.cmd([[
    command! -nargs=? FlowqlExplain lua require("flowql").explain(<q-args>)
    command! FlowqlRefresh lua require("flowql").refresh()
    command! FlowqlStatus lua require("flowql").show_status()
    command! FlowqlExplainAnswer lua require("flowql").explain_answer()
    command! FlowqlCancel lua require("flowql").cancel()
  ]])
end

--- Sets flowql up: `require("flowql").setup({ path = "flowql", settings = { ... } })`.
function M.setup(opts)
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(defaults), opts or {})
  warned_missing = false
  define_commands()
  vim.lsp.commands["flowql.showLocations"] = M.show_locations
  vim.lsp.commands["flowql.run"] = M.run
  vim.lsp.commands["flowql.explainAnswer"] = M.explain_answer
  if vim.lsp.config and vim.lsp.enable then
    -- Neovim 0.11+: the built-in configuration registry (GraphQL buffers; JSON files are
    -- attached by the autocommand below, so that only the ones flowql checks get it).
    local config = M.config()
    config.filetypes = { "graphql" }
    vim.lsp.config("flowql", config)
    vim.lsp.enable("flowql")
  end
  local enabled = vim.lsp.config and vim.lsp.enable
  local group = vim.api.nvim_create_augroup("flowql", { clear = true })
  local patterns = vim.list_extend(vim.deepcopy(M.options.filetypes), M.options.code_filetypes or {})
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = patterns,
    callback = function(args)
      if enabled and vim.bo[args.buf].filetype == "graphql" then
        -- vim.lsp.enable attaches it; a missing binary would be skipped without a word.
        binary_ok()
      else
        M.attach(args.buf)
      end
    end,
  })
end

return M
