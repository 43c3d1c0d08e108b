"""GraphQL documents prepared once and executed many times: each distinct document parsed,
validated and limit-checked once (`documents`), each operation's variables, field plans,
argument readers, resolvers and completers worked out once (`operations`, `variables`,
`plans`, `arguments`, `resolvers`, `completion`), then executed by graphql-core's executor
with those (`execution`, `running`); `derivations` counts what was derived."""
