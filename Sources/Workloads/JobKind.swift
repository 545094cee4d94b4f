/// What a job does, in the guide's terms: data processing, training (from scratch or
/// fine-tuning, AutoML trials, model compression) and inference. Codes are stored in traces.
public enum JobKind: UInt8, Sendable, CaseIterable {
    /// A job from a plain job class or list, with no work model.
    case generic = 0
    case training = 1
    case fineTuning = 2
    /// One trial of a hyperparameter search.
    case automl = 3
    /// Quantisation, pruning or distillation of a trained model.
    case compression = 4
    case dataProcessing = 5
    /// One replica of an online inference service.
    case inference = 6
    /// Offline inference over a batch of items (video archive analysis, document OCR,
    /// embeddings, nightly re-scoring): forward passes only, no latency target.
    case batchInference = 7

    /// The name used in scenarios, traces and summaries.
    public var name: String {
        switch self {
        case .generic: return "generic"
        case .training: return "training"
        case .fineTuning: return "fine_tuning"
        case .automl: return "automl"
        case .compression: return "compression"
        case .dataProcessing: return "data_processing"
        case .inference: return "inference"
        case .batchInference: return "batch_inference"
        }
    }

    /// The kind called `name`, or nil.
    public init?(name: String) {
        guard let k = JobKind.allCases.first(where: { $0.name == name }) else { return nil }
        self = k
    }

    /// Delivered-compute category: `data_processing`, `training` (every model-building kind)
    /// or `inference`; `generic` jobs are their own category.
    public var category: String {
        switch self {
        case .generic: return "generic"
        case .training, .fineTuning, .automl, .compression: return "training"
        case .dataProcessing: return "data_processing"
        case .inference, .batchInference: return "inference"
        }
    }
}

/// Who a tenant is (the guide's government, enterprises, research institutes and start-ups).
public enum TenantType: String, Sendable, CaseIterable {
    case government, enterprise, research, startup
}

/// How a model is made smaller on the way to release.
public enum CompressionMethod: String, Sendable, CaseIterable {
    /// Post-training quantisation: forward passes over a calibration set.
    case quantization
    /// Pruning with a short fine-tune.
    case pruning
    /// Training a smaller student against the model as teacher.
    case distillation
}
