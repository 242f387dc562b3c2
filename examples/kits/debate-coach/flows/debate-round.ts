// Flow: debate-round (declares its input as JSON Schema; keys unquoted, as some kits write them)

export const meta = { name: 'Debate round' } as const;

export const nodes = [
  {
    id: "triggerNode_1",
    type: "triggerNode",
    data: {
      nodeId: "graphqlNode",
      trigger: true,
      values: {
        responeType: 'realtime',
        advance_schema: '{"type": "object", "properties": {"topic": {"type": "string"}, "side": {"type": "string", "enum": ["A", "B"]}, "transcript": {"type": "array", "items": {"type": "object", "properties": {"round": {"type": "integer"}, "statement": {"type": "string"}}, "required": ["round", "statement"]}}}, "required": ["topic", "side", "transcript"]}',
      },
    },
  },
  {
    id: "responseNode_triggerNode_1",
    type: "responseNode",
    data: { nodeId: "graphqlResponseNode", values: { outputMapping: '{"statement": "{{LLMNode_3.output.statement}}"}' } },
  },
];

export const edges = [];

export default { meta, nodes, edges };
