// Flow: debate-judge (declares no input schema: flowql infers its inputs from what it reads)

export const meta = { name: "Debate judge" };

export const references = {
  prompts: { judge_user: "@prompts/debate-judge_user.md" },
};

export const nodes = [
  {
    id: "triggerNode_1",
    type: "triggerNode",
    data: { nodeId: "graphqlNode", trigger: true, values: { responeType: "realtime", advance_schema: "" } },
  },
  {
    id: "InstructorLLMNode_7",
    type: "dynamicNode",
    data: {
      nodeId: "InstructorLLMNode",
      values: {
        prompts: [
          { role: "system", content: "You judge debates on {{triggerNode_1.output.topic}}." },
          { role: "user", content: "@prompts/debate-judge_user.md" },
        ],
      },
    },
  },
];

export const edges = [{ id: "e1", source: "triggerNode_1", target: "InstructorLLMNode_7" }];

export default { meta, references, nodes, edges };
