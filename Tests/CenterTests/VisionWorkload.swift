/// The `workload` of the small test centers: one application (a city's vision models, one
/// government tenant, a CNN) with the job-mix lines given, as YAML from the top level.
enum VisionWorkload {
    static func yaml(jobs: [String]) -> String {
        """
        workload:
          applications:
            - name: vision
              tenants: [{name: city, type: government}]
              models: [{name: cnn, family: cnn, parameters: 25M, trainFlopsPerSample: 24.6GFLOP}]
              jobs:
        """ + jobs.map { "\n        - \($0)" }.joined()
    }
}
