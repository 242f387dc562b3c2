-- `:checkhealth flowql`: the binary and its version, the Neovim features in use, the
-- configuration found for the current folder and where its schema comes from.
local M = {}

local health = vim.health or require("health")
local start = health.start or health.report_start
local ok = health.ok or health.report_ok
local info = health.info or health.report_info
local warn = health.warn or health.report_warn
local error = health.error or health.report_error

function M.check()
  local flowql = require("flowql")
  start("flowql binary")
  local path = flowql.options.path
  if vim.fn.executable(path) == 0 then
    error(("`%s` is not executable or not on PATH"):format(path), {
      "cargo install --locked --git https://github.com/flowql/flowql flowql",
      'or require("flowql").setup({ path = "/path/to/flowql" })',
    })
    return
  end
  local version = vim.fn.system({ path, "--version" }):gsub("%s+$", "")
  if vim.v.shell_error ~= 0 then
    error(("`%s --version` failed: %s"):format(path, version))
    return
  end
  ok(("%s (%s)"):format(version, vim.fn.exepath(path)))

  start("Neovim")
  if vim.lsp.config and vim.lsp.enable then
    ok("vim.lsp.config / vim.lsp.enable (Neovim 0.11+)")
  elseif vim.lsp.start then
    ok("vim.lsp.start (Neovim 0.8+)")
  else
    warn("Neovim older than 0.8: flowql starts with vim.lsp.start_client, one client per root", {
      "Neovim 0.8 or newer is recommended",
    })
  end

  start("flowql project")
  -- :checkhealth runs in a buffer of its own: the project is that of the last buffer flowql
  -- attached to, else the working directory's.
  local file = flowql.last_attached
  local dir = file and vim.fn.fnamemodify(file, ":p:h") or vim.fn.getcwd()
  info("checked for " .. dir)
  local status, output = flowql.project_status(dir)
  if not status then
    error("`flowql status --json` failed: " .. tostring(output))
    return
  end
  if status.config ~= vim.NIL then
    ok("configuration: " .. status.config)
  else
    info("no graphql-config file in " .. dir .. " or above: the bundled platform schema is used")
  end
  ok("schema: " .. status.schema.summary .. " (" .. status.schema.detail .. ")")
  local last = status.schema.lastError
  if last ~= vim.NIL and last then
    warn(("last schema fetch failed: %s [%s, %s]"):format(last.message, last.code, last.status), { last.fix })
  end
  info("flows known: " .. status.flows.count)
  if status.problem ~= vim.NIL and status.problem then
    warn(status.problem)
  end
  local root = flowql.root_dir(dir)
  info("root folder: " .. (root or "none (no graphql-config file or .git above)"))
end

return M
