import Scenario

extension DefaultScenario {
    /// Loads the scenario file at `path`, or the built-in default when `path` is nil.
    static func load(_ path: String?, overrides: [String], seed: UInt64?, limits: RunLimits = .standard) throws -> LoadedScenario {
        if let path { return try ScenarioLoader.load(path: path, overrides: overrides, seed: seed, limits: limits) }
        return try ScenarioLoader.load(text: yaml, file: "built-in:\(file)", defaultName: name, overrides: overrides, seed: seed,
                                       includes: .builtIn(includes), limits: limits)
    }
}
