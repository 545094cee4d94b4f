import Foundation
import Center
import Metrics
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

/// A number among a summary object's figures (NaN when absent or not a number).
func figure(_ fields: [(String, SummaryValue)], _ key: String) -> Double {
    switch fields.first(where: { $0.0 == key })?.1 {
    case .real(let x)?: return x
    case .integer(let i)?: return Double(i)
    default: return .nan
    }
}

/// The figures of service `name` in a run's summary.
func serviceFigures(_ summary: RunSummary, _ name: String) -> [(String, SummaryValue)] {
    guard case .object(let f)? = summary.services.first(where: { $0.0 == name })?.1 else { return [] }
    return f
}
