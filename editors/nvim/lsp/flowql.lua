-- For Neovim 0.11+'s vim.lsp.config: `vim.lsp.enable("flowql")` finds this file on the
-- runtimepath, so the plugin works without calling setup().
return require("flowql").config()
