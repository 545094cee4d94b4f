import Production

/// How a released model version is offered.
public enum ReleaseForm: Int8, Sendable, CaseIterable {
    /// A model file in storage that tenants download.
    case modelFile = 0
    /// An online service (its application serves this model).
    case service = 1
    /// A development API over a shared endpoint (the services keep the version they serve).
    case api = 2

    public var name: String {
        switch self {
        case .modelFile: return "model_file"
        case .service: return "service"
        case .api: return "api"
        }
    }
}

/// One model version: which model of which application, which job produced it, when, and how
/// it is offered.
public struct ModelVersion: Sendable, Equatable {
    public var application: Int16
    public var model: Int16
    /// 1, 2, ... per (application, model).
    public var version: Int32
    public var sourceJob: Int64
    public var releaseNs: Int64
    public var form: ReleaseForm
    /// Size of the model file (parameters at the model's precision).
    public var fileBytes: Double = 0
    /// The first service that serves this model (-1: none), whose serving profile it gets.
    public var service: Int16 = -1

    public init(application: Int16, model: Int16, version: Int32, sourceJob: Int64, releaseNs: Int64, form: ReleaseForm) {
        self.application = application
        self.model = model
        self.version = version
        self.sourceJob = sourceJob
        self.releaseNs = releaseNs
        self.form = form
    }
}

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
