import Foundation
import Testing
@testable import Scenario

/// `--set` selects list items by name as well as by index: a server group by its `name`, an
/// included application by its file's name; the same scenario results either way.
@Suite struct OverrideByNameTests {
    static let city = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios/city-center.yaml").path

    @Test func namesResolveLikeIndices() throws {
        for (byName, byIndex) in [("cluster.servers[h100].count=384", "cluster.servers.0.count=384"),
                                  ("workload.applications[medical-imaging].scale=2", "workload.applications.6.scale=2")] {
            let a = try ScenarioLoader.load(path: Self.city, overrides: [byName]).scenario
            let b = try ScenarioLoader.load(path: Self.city, overrides: [byIndex]).scenario
            #expect(a == b, "\(byName) against \(byIndex)")
            #expect(a != (try ScenarioLoader.load(path: Self.city).scenario))
        }
    }

    @Test func anUnknownNameIsNamed() {
        do {
            _ = try ScenarioLoader.load(path: Self.city, overrides: ["cluster.servers[h10].count=384"])
            Issue.record("an unknown item name was accepted")
        } catch {
            #expect("\(error)".contains("'cluster.servers' has no item named 'h10' (did you mean 'h100'?)"), "\(error)")
        }
    }
}
