// Calling a Flow from code, the way the platform's docs show it: an untagged template string
// sent with axios. flowql checks the query and the `variables` written beside it.
const axios = require("axios");

const query = `
query ExecuteWorkflow($workflowId: String!, $payload: JSON!) {
  executeWorkflow(workflowId: $workflowId, payload: $payload) {
    status
    result
  }
}`;

async function summarize(url) {
  const response = await axios.post(
    process.env.FLOW_ENDPOINT,
    {
      query,
      variables: {
        workflowId: "0c6f3b1a-9d2e-4f5a-8b7c-1d2e3f4a5b6c",
        payload: { url, maxWords: "120", audience: { level: "general", bullets: true } },
      },
    },
    { headers: { Authorization: `Bearer ${process.env.FLOW_API_KEY}` } },
  );
  return response.data;
}

module.exports = { summarize };
