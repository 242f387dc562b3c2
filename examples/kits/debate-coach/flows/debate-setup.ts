// Flow: debate-setup (an API-triggered flow that declares its input as a type map)

export const meta = {
  name: "Debate setup",
  description: "Turns a question into a debate topic and two opposed positions.",
  testInput: { topic: "Tabs or spaces?", rounds: 2 },
};

export const nodes = [
  {
    id: "triggerNode_1",
    type: "triggerNode",
    data: {
      nodeId: "graphqlNode",
      trigger: true,
      values: {
        nodeName: "API Request",
        responeType: "realtime",
        advance_schema: "{\n  \"topic\": \"string\",\n  \"rounds\": \"int\",\n  \"audience\": \"string?\"\n}",
      },
    },
  },
  {
    id: "LLMNode_12",
    type: "dynamicNode",
    data: {
      nodeId: "LLMNode",
      values: { prompt: "Frame {{triggerNode_1.output.topic}} for {{triggerNode_1.output.rounds}} rounds." },
    },
  },
  {
    id: "responseNode_triggerNode_1",
    type: "responseNode",
    data: {
      nodeId: "graphqlResponseNode",
      values: { outputMapping: "{\n  \"positionA\": \"{{LLMNode_12.output.a}}\",\n  \"positionB\": \"{{LLMNode_12.output.b}}\"\n}" },
    },
  },
];

export const edges = [
  { id: "e1", source: "triggerNode_1", target: "LLMNode_12" },
  { id: "e2", source: "LLMNode_12", target: "responseNode_triggerNode_1" },
];

export default { meta, nodes, edges };
