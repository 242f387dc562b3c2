// An example kit, laid out like the platform's public kits: flowql reads it with no
// configuration. Each step's flow lives in flows/<step id>.ts; its envKey names the
// environment variable that holds the deployed flow's id.
export default {
  name: "Debate Coach",
  description: "Frames a question as a debate, argues both sides round by round, then judges.",
  version: "1.0.0",
  type: "kit" as const,
  steps: [
    { id: "debate-setup", type: "mandatory" as const, envKey: "DEBATE_SETUP_FLOW_ID" },
    { id: "debate-round", type: "mandatory" as const, prerequisiteSteps: ["debate-setup"], envKey: "DEBATE_ROUND_FLOW_ID" },
    { id: "debate-judge", type: "mandatory" as const, prerequisiteSteps: ["debate-round"], envKey: "DEBATE_JUDGE_FLOW_ID" },
  ],
};
