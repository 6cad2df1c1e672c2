// Composes subgraphs with Apollo's own composition (@apollo/composition).
// stdin: [{"name": "...", "typeDefs": "SDL"}, ...]
// stdout: {"errors": [{"code", "message"}] | null, "supergraphSdl": "..." | null, "hints": [...]}
"use strict";
const { composeServices } = require("@apollo/composition");
const { parse } = require("graphql");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const services = JSON.parse(input).map(({ name, typeDefs }) => ({
    name,
    url: `http://${name}.invalid/graphql`,
    typeDefs: parse(typeDefs),
  }));
  const result = composeServices(services);
  const describe = (e) => ({ code: (e.extensions && e.extensions.code) || null, message: e.message });
  process.stdout.write(
    JSON.stringify({
      errors: result.errors ? result.errors.map(describe) : null,
      supergraphSdl: result.supergraphSdl || null,
      hints: (result.hints || []).map((h) => ({ code: h.definition.code, message: h.message })),
    }) + "\n",
  );
});
