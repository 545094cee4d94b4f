import SimKernel

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
