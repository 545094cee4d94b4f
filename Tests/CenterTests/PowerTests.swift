import Center
import Configuration
import Foundation
import Metrics
import Production
import Records
import Scenario
import SimKernel
import Testing

/// The facility power model in runs: its accounting identities, published energy and carbon
/// accounting reproduced from their own assumptions (Llama 2, BLOOM), and the power cap.
@Suite struct PowerTests {
    /// The `power` section of a run's summary.
    static func powerSection(_ summary: RunSummary) -> [(String, SummaryValue)] {
        guard case .object(let f)? = summary.fields.first(where: { $0.0 == "power" })?.1 else { return [] }
        return f
    }

    /// The figures of member `name` of the power section's map `group` (pools, tenants, applications).
    static func member(_ section: [(String, SummaryValue)], _ group: String, _ name: String) -> [(String, SummaryValue)] {
        guard case .object(let g)? = section.first(where: { $0.0 == group })?.1, case .object(let f)? = g.first(where: { $0.0 == name })?.1 else { return [] }
        return f
    }

    static let busyCenter = """
        horizon: 3d
        cluster:
          servers:
            - {name: h100, preset: hgx-h100-8, count: 8, pool: train}
            - {name: l4, preset: pcie-l4-8, count: 2, pool: infer}
        workload:
          jobs:
            - {submit: 1h, accelerators: 16, duration: 20h, tenant: lab}
            - {submit: 2h, accelerators: 2, duration: 30h, tenant: city, accepts: [{accelerator: L4}]}
          classes:
            - {name: big, interarrival: {dist: exponential, mean: 40min}, accelerators: {dist: discrete, values: [8, 16, 32]}, duration: {dist: exponential, mean: 2h}}
            - {name: small, interarrival: {dist: exponential, mean: 10min}, accelerators: {dist: constant, value: 2}, duration: {dist: exponential, mean: 30min},
               accepts: [{accelerator: L4}]}
        power:
          site: beijing
          start: 07-20
          cooling: air
          interval: 10min
          tariff: {currency: CNY, flat: 0.65, peak: 1.04, valley: 0.26, peakHours: [10, 11, 12, 13, 14, 18, 19, 20], valleyHours: [23, 0, 1, 2, 3, 4, 5, 6]}
          carbon: {byHour: [0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.3, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.6, 0.6, 0.6, 0.6], greenShare: 0.2}
          storage: 3kW
          prices: {currency: CNY, servers: [{pool: train, price: 2300000}, {pool: infer, price: 300000}], switchPort: 6000, storage: 500000,
                   buildingPerKW: 30000, maintenance: 0.05, staffPerYear: 2000000}
        """

    /// Facility energy = ∫ IT power × PUE dt, hour by hour (the PUE recomputed here from the
    /// climate table and the cooling curve); the jobs, the idle and the shared energy add up to
    /// the total; tenants, pools and applications add up to the jobs; the cost parts add up.
    @Test func accountingIdentitiesHoldExactly() throws {
        let sink = CollectingSink()
        let s = try scenario(Self.busyCenter)
        let summary = try CenterRun.run(s, sink: sink).summary
        let p = Self.powerSection(summary)
        let facility = figure(p, "facility_energy_kwh"), it = figure(p, "it_energy_kwh")
        #expect(facility > 0 && it > 0)
        #expect(abs(figure(p, "pue_achieved") - facility / it) < 1e-12)
        // ∫ IT × PUE over the /power rows (each within one hour), PUE from the climate.
        let climate = ClimateCatalog.named("beijing")!
        let start = (31 + 28 + 31 + 30 + 31 + 30 + 19) * 24
        var integral = 0.0, itIntegral = 0.0
        let rows = sink.power
        for (i, r) in rows.enumerated() {
            let end = i + 1 < rows.count ? rows[i + 1].timeNs : 3 * 86_400_000_000_000
            let hours = Double(end - r.timeNs) / 3_600_000_000_000.0
            let pue = CoolingCurve.air.pue(atC: climate.temperatureC(hourOfYear: start + Int(r.timeNs / 3_600_000_000_000)))
            integral += r.itW / 1000 * hours * pue
            itIntegral += r.itW / 1000 * hours
            #expect(abs(r.facilityW - r.itW * pue) <= 1e-9 * r.facilityW)
        }
        #expect(rows.count == 3 * 24 * 6)
        #expect(abs(integral - facility) <= 1e-9 * facility)
        #expect(abs(itIntegral - it) <= 1e-9 * it)
        // Jobs + idle + shared = total.
        let jobs = sink.jobs.reduce(0) { $0 + $1.energyKWh }
        let idle = figure(p, "idle_energy_share") * facility, shared = figure(p, "shared_energy_share") * facility
        #expect(sink.jobs.filter { $0.startNs >= 0 }.allSatisfy { $0.energyKWh > 0 })
        #expect(abs(jobs + idle + shared - facility) <= 1e-9 * facility)
        for group in ["pools", "tenants", "applications"] {
            guard case .object(let members)? = p.first(where: { $0.0 == group })?.1 else { Issue.record("no \(group)"); continue }
            let names = members.map(\.0)
            let sum = names.reduce(0.0) { $0 + figure(Self.member(p, group, $1), "facility_energy_kwh") }
            if group == "pools" {
                #expect(abs(sum - jobs) <= 1e-9 * jobs, "pools: \(sum) vs jobs \(jobs)")
            } else if group == "tenants" {
                // Only the listed jobs have tenants: their rows' energy.
                let listed = sink.jobs.filter { $0.tenant >= 0 }.reduce(0) { $0 + $1.energyKWh }
                #expect(listed > 0 && abs(sum - listed) <= 1e-9 * listed, "tenants: \(sum) vs their jobs \(listed)")
            }
        }
        // The jobs' IT energy and emissions in /jobs are the pools' (one ledger).
        let poolNames = ["train", "infer"]
        let poolIT = poolNames.reduce(0.0) { $0 + figure(Self.member(p, "pools", $1), "it_energy_kwh") }
        let poolCO2 = poolNames.reduce(0.0) { $0 + figure(Self.member(p, "pools", $1), "emissions_t") }
        #expect(abs(sink.jobs.reduce(0) { $0 + $1.itEnergyKWh } - poolIT) <= 1e-9 * poolIT)
        #expect(abs(sink.jobs.reduce(0) { $0 + $1.co2Kg } / 1000 - poolCO2) <= 1e-9 * poolCO2)
        // Pools' costs of ownership: their energy bills and their share of the fixed costs by
        // accelerator-time held; with the idle capacity's share, the whole.
        let poolTCO = poolNames.reduce(0.0) { $0 + figure(Self.member(p, "pools", $1), "tco") }
        #expect(poolTCO < figure(p, "tco") && poolTCO > 0.5 * figure(p, "tco"))
        // Costs add up; the energy bill is facility energy at each hour's price.
        guard case .object(let parts)? = p.first(where: { $0.0 == "tco_by_part" })?.1 else { Issue.record("no tco_by_part"); return }
        let partSum = parts.reduce(0.0) { total, part in if case .real(let x) = part.1 { return total + x } else { return total } }
        #expect(abs(partSum - figure(p, "tco")) <= 1e-9 * partSum)
        let tenantCost = ["lab", "city"].reduce(0.0) { $0 + figure(Self.member(p, "tenants", $1), "energy_cost") }
        #expect(tenantCost > 0 && tenantCost < figure(p, "energy_cost"))
        // Emissions: 80% of facility energy at hourly intensities between 0.3 and 0.6.
        let kgPerKWh = figure(p, "carbon_intensity_kg_per_kwh")
        #expect(kgPerKWh > 0.8 * 0.3 && kgPerKWh < 0.8 * 0.6)
    }

    /// Same scenario and seed: the same power rows and summary; same-time events in another
    /// order (`--permute-ties`) change nothing.
    @Test func deterministicAndTieOrderFree() throws {
        let s = try scenario(Self.busyCenter + "\n  cap: 110kW\n")
        let a = CollectingSink(), b = CollectingSink(), c = CollectingSink()
        let ra = try CenterRun.run(s, sink: a).summary
        let rb = try CenterRun.run(s, sink: b).summary
        var options = KernelOptions()
        options.permuteTies = true
        let rc = try CenterRun.run(s, sink: c, kernelOptions: options).summary
        #expect(a.power == b.power && a.power == c.power)
        #expect(ra == rb && ra == rc)
        #expect(figure(Self.powerSection(ra), "cap_events") > 0)
    }

    /// A 20 MW-style cap: the facility never draws more than the cap; a lone job slowed by the
    /// cap runs exactly as long as the power-performance curve says.
    @Test func theCapIsNeverPassedAndSlowsJobsByTheCurve() throws {
        // Capped busy center: every row's peak at or under the cap.
        let sink = CollectingSink()
        let summary = try CenterRun.run(try scenario(Self.busyCenter + "\n  cap: 110kW\n"), sink: sink).summary
        let p = Self.powerSection(summary)
        #expect(sink.power.allSatisfy { $0.facilityPeakW <= 110_000 * (1 + 1e-12) })
        #expect(figure(p, "facility_power_peak_kw") <= 110)
        let held = CollectingSink()
        _ = try CenterRun.run(try scenario(Self.busyCenter + "\n  cap: 110kW\n  capPolicy: hold\n"), sink: held)
        #expect(held.power.allSatisfy { $0.facilityPeakW <= 110_000 * (1 + 1e-12) } && held.power.contains { $0.jobsWaiting > 0 })
        let uncapped = try CenterRun.run(try scenario(Self.busyCenter), sink: NullSink()).summary
        #expect(figure(Self.powerSection(uncapped), "facility_power_peak_kw") > 120)

        // One job on 2 H100 servers (16 GPUs) for 10 h at PUE 1, no switches' spare room: the
        // cap leaves the accelerators 80% of their draw, so the job runs 10 h / 0.8^0.309.
        let pool = FacilityPoolFigures.h100(servers: 2)
        let share = 0.805
        let capW = pool.restW + 16 * (pool.hostPerBusyW + share * 700 - 70) + pool.networkW
        let one = CollectingSink()
        _ = try CenterRun.run(try scenario(pool.center(jobs: ["{submit: 0s, accelerators: 16, duration: 10h}"], capW: capW)), sink: one)
        let job = try #require(one.jobs.first)
        let expected = 36_000.0 / PowerPerformance.calibrated.speed(atShare: 0.80)
        #expect(abs(Double(job.endNs - job.startNs) / 1e9 - expected) < 1e-6, "ran \(Double(job.endNs - job.startNs) / 1e9) s, expected \(expected) s")
        #expect(one.power.contains { $0.powerLimitShare == 0.80 })
    }

    /// `capPolicy: hold`: a job that would pass the cap at full power waits until there is power.
    @Test func holdMakesJobsWaitForPower() throws {
        let pool = FacilityPoolFigures.h100(servers: 2)
        let capW = pool.restW + 8 * (pool.hostPerBusyW + 630) + pool.networkW + 1000
        let listed = ["{submit: 0s, accelerators: 8, duration: 5h}", "{submit: 1h, accelerators: 8, duration: 5h}"]
        let sink = CollectingSink()
        let summary = try CenterRun.run(try scenario(pool.center(jobs: listed, capW: capW, policy: "hold")), sink: sink).summary
        let jobs = sink.jobs.sorted { $0.id < $1.id }
        #expect(jobs.count == 2)
        #expect(jobs[0].endNs == 5 * 3_600_000_000_000)
        #expect(jobs[1].startNs == 1 * 3_600_000_000_000, "the scheduler placed it at once")
        #expect(jobs[1].endNs == 10 * 3_600_000_000_000, "it computed only once the first job's power was free")
        let p = Self.powerSection(summary)
        #expect(figure(p, "jobs_held_for_power") == 1)
        #expect(abs(figure(p, "power_wait_mean_s") - 4 * 3600) < 1e-9)
        #expect(sink.power.allSatisfy { $0.facilityPeakW <= capW })
    }

    /// Llama 2's pre-training emissions (Touvron et al. 2023, Table 2) from the paper's own
    /// assumptions: each model's A100-80GB GPU-hours at its stated device power (400 W; 350 W
    /// for 34B), at the carbon intensity the table implies (539 tCO2eq over the 1,272,730 kWh those
    /// give: 0.4235 kg/kWh), PUE 1 and no host power. Every row within 1%.
    @Test func llama2PretrainingEmissions() throws {
        let text = """
            catalog:
              accelerators:
                - {name: A100-350W, base: A100-80GB, maxPowerW: 350}
            cluster:
              servers:
                - {name: a400, preset: hgx-a100-8, count: 256, pool: a100}
                - {name: a350, preset: hgx-a100-8, accelerator: A100-350W, count: 128, pool: a100-350w}
            workload:
              jobs:
                - {submit: 0s, accelerators: 1024, duration: 180h}
                - {submit: 0s, accelerators: 1024, duration: 360h}
                - {submit: 0s, accelerators: 1024, duration: 1014h, accepts: [{accelerator: A100-350W}]}
                - {submit: 0s, accelerators: 2048, duration: 840h}
            power:
              pue: 1
              hosts: [{pool: a100, idle: 0W, max: 0W}, {pool: a100-350w, idle: 0W, max: 0W}]
              carbon: {intensity: \(539_000.0 / 1_272_729.6)}
            """
        let sink = CollectingSink()
        let summary = try CenterRun.run(try scenario(text), sink: sink).summary
        let jobs = sink.jobs.sorted { $0.id < $1.id }
        let kgPerKWh = 539_000.0 / 1_272_729.6
        let table = [31.22, 62.44, 153.90, 291.42]
        for (job, tonnes) in zip(jobs, table) {
            let t = job.energyKWh * kgPerKWh / 1000
            #expect(abs(t - tonnes) / tonnes < 0.01, "job \(job.id): \(t) t vs \(tonnes) t")
        }
        let p = Self.powerSection(summary)
        let pools = figure(Self.member(p, "pools", "a100"), "emissions_t") + figure(Self.member(p, "pools", "a100-350w"), "emissions_t")
        #expect(abs(pools - 539) / 539 < 0.01, "\(pools) t vs 539 t")
    }

    /// BLOOM 176B's training energy and emissions (Luccioni, Viguier, Ligozat 2022): 1,082,990
    /// A100-80GB GPU-hours at the 400 W TDP give 433 MWh of dynamic energy, 24.7 tCO2eq at the
    /// French grid's 57 g/kWh. Reproduced by a 384-GPU job of that many GPU-hours, within 1%.
    @Test func bloomTrainingEnergy() throws {
        let seconds = Int((1_082_990.0 / 384 * 3600).rounded())
        let text = """
            cluster:
              servers:
                - {name: jz, preset: hgx-a100-8, count: 48, pool: jean-zay}
            workload:
              jobs:
                - {submit: 0s, accelerators: 384, duration: \(seconds)s}
            power:
              pue: 1
              hosts: [{pool: jean-zay, idle: 0W, max: 0W}]
              carbon: {intensity: 0.057}
            """
        let sink = CollectingSink()
        let summary = try CenterRun.run(try scenario(text), sink: sink).summary
        let job = try #require(sink.jobs.first)
        #expect(abs(job.energyKWh - 433_196) / 433_196 < 0.01, "\(job.energyKWh) kWh")
        let p = Self.powerSection(summary)
        let tonnes = figure(Self.member(p, "pools", "jean-zay"), "emissions_t")
        #expect(abs(tonnes - 24.7) / 24.7 < 0.01, "\(tonnes) t")
    }
}

/// An H100 pool's power figures as the model computes them from the catalog (DGX H100: 10.2 kW,
/// 8 × 700 W; idle 70 W per GPU, host idle 40%), for tests that set a cap.
struct FacilityPoolFigures {
    var servers: Int
    var restW: Double { Double(servers) * (0.4 * 4_600 + 8 * 70) }
    var hostPerBusyW: Double { 0.6 * 4_600 / 8 }
    /// Two ports of 400 Gb/s per NIC, 8 NICs per server, 22 W each.
    var networkW: Double { Double(servers) * 16 * 22 }

    static func h100(servers: Int) -> Self { Self(servers: servers) }

    /// These servers running listed `jobs` for 30 h at PUE 1 under a cap of `capW`.
    func center(jobs: [String], capW: Double, policy: String = "throttle") -> String {
        """
        horizon: 30h
        cluster:
          servers:
            - {name: h, preset: hgx-h100-8, count: \(servers)}
        workload:
          jobs:
        \(jobs.map { "    - \($0)" }.joined(separator: "\n"))
        power:
          pue: 1
          cap: \(Int(capW))W
          capPolicy: \(policy)
        """
    }
}
