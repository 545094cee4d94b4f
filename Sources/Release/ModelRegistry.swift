import Production
import Records

/// The model registry (the release pipeline's first step): every model-building job that
/// completes (training, fine-tuning, compression) registers a new version of its model; the
/// release policy offers it as `servedForm` (an online service by default: the serving
/// replicas then roll to it) when its application serves that model, else as a model file.
public struct ModelRegistry: Sendable {
    /// (application, model) pairs that an online service serves.
    let served: Set<Int32>
    var versions: [Int32: Int32] = [:]
    public private(set) var released: Int64 = 0
    /// What a version of a served model becomes.
    public let servedForm: ReleaseForm

    public init(servedModels: [(application: Int16, model: Int16)], servedForm: ReleaseForm = .service) {
        served = Set(servedModels.map { Self.key($0.application, $0.model) })
        self.servedForm = servedForm
    }

    static func key(_ a: Int16, _ m: Int16) -> Int32 { ApplicationModelKey.of(application: a, model: m) }

    /// Registers the output of a finished job of kind `isModelBuilding`; nil when it builds no model.
    public mutating func register(application: Int16, model: Int16, isModelBuilding: Bool, job: Int64, atNs: Int64) -> ModelVersion? {
        guard isModelBuilding, model >= 0 else { return nil }
        let k = Self.key(application, model)
        let v = versions[k, default: 0] + 1
        versions[k] = v
        released += 1
        return ModelVersion(application: application, model: model, version: v, sourceJob: job, releaseNs: atNs,
                            form: served.contains(k) ? servedForm : .modelFile)
    }
}
