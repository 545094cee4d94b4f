/// The scenario `iccsim run` uses when none is given; `Scenarios/default.yaml` holds the same
/// text (a test keeps them equal) so it can be copied and edited.
enum DefaultScenario {
    static let name = "default"
    static let yaml = """
    # ICCSim default scenario: a 512-accelerator training center (64 servers x 8) serving two
    # kinds of demand, large training runs and small fine-tuning jobs, under FIFO gang scheduling.
    # Offered load is about 80% of capacity. Every key is described in docs/scenario-reference.md.
    name: default
    seed: 1

    cluster:
      servers:
        - name: training
          count: 64
          acceleratorsPerServer: 8

    workload:
      classes:
        - name: training
          jobs: 500
          interarrival: {dist: exponential, mean: 15min}
          accelerators: {dist: discrete, values: [8, 16, 32, 64], weights: [0.4, 0.3, 0.2, 0.1]}
          duration: {dist: lognormal, median: 2h, sigma: 1.0}
        - name: fine-tuning
          jobs: 7500
          interarrival: {dist: exponential, mean: 60s}
          accelerators: {dist: discrete, values: [1, 2, 4, 8], weights: [0.4, 0.3, 0.2, 0.1]}
          duration: {dist: lognormal, median: 30min, sigma: 1.0}

    scheduling:
      policy: fifo

    """
}
