import Foundation
import Scenario

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Loads a shipped scenario with overrides.
func shippedScenario(_ relativePath: String, _ overrides: [String] = []) throws -> Scenario {
    try ScenarioLoader.load(path: repositoryRoot.appendingPathComponent(relativePath).path, overrides: overrides).scenario
}

/// Loads scenario text.
func scenario(_ text: String, _ overrides: [String] = []) throws -> Scenario {
    try ScenarioLoader.load(text: text, file: "test.yaml", defaultName: "test", overrides: overrides).scenario
}
