/// Families of AI models, which set the default efficiency (model FLOPs utilisation) a device
/// reaches on them and how their training FLOPs are counted.
public enum ModelFamily: String, Sendable, CaseIterable {
    /// Dense transformer language models (training FLOPs 6·N per token).
    case llm
    /// Vision transformers.
    case vit
    /// Convolutional networks for images (detection, classification, segmentation).
    case cnn
    /// 3-D convolutional networks (volumetric medical imaging).
    case cnn3d
    /// Speech recognition and synthesis.
    case speech
    /// Bird's-eye-view perception and multi-camera fusion.
    case bev
    /// Diffusion and other generative image models.
    case diffusion
    /// Graph neural networks (logistics routing, chip netlists).
    case gnn
    /// Recommendation and tabular models (embedding-heavy).
    case recsys
    /// Reinforcement learning (robots, chip placement): simulation-bound.
    case rl

    /// Default model FLOPs utilisation on a GPU. The LLM figure sits inside the 35–55% band of
    /// published large-scale training (Megatron-LM 52% on A100, MegaScale 55.2%, PaLM 46.2%,
    /// Llama 3 38–43% on H100; REFERENCES.md §3); the others are ICCSim assumptions, lower for
    /// families bound by memory, embeddings or simulation. Override per model in a scenario.
    public var defaultMFU: Double {
        switch self {
        case .llm: return 0.45
        case .vit: return 0.40
        case .diffusion: return 0.40
        case .cnn: return 0.35
        case .cnn3d: return 0.30
        case .speech: return 0.30
        case .bev: return 0.30
        case .gnn: return 0.15
        case .recsys: return 0.15
        case .rl: return 0.10
        }
    }
}

extension AcceleratorKind {
    /// How much of a GPU's achieved utilisation the software stack of this kind of device reaches
    /// on the same model (an ICCSim assumption: less mature kernels on NPUs, FPGAs and ASICs; CPUs as GPUs).
    public var efficiencyFactor: Double {
        switch self {
        case .gpu: return 1.0
        case .npu: return 0.85
        case .asic: return 0.85
        case .fpga: return 0.7
        // oneDNN/KML kernels reach about the share of a CPU's FP32 peak that a GPU's kernels
        // reach of its tensor peak (an assumption); a CPU's speed comes from its lower peak.
        case .cpu: return 1.0
        }
    }
}

/// What a model FLOPs utilisation figure covers. Published MFUs (Megatron-LM, PaLM, Llama 3,
/// MegaScale) are measured end to end: a step's time includes the gradient all-reduce that was
/// not hidden, so adding the all-reduce on top would count communication twice.
public enum EfficiencyScope: String, Sendable, CaseIterable {
    /// The figure is end to end: the job's time is its FLOPs at this efficiency, communication
    /// included (the default, and what the family defaults are).
    case endToEnd = "end_to_end"
    /// The figure is compute only: the I/O model adds the exposed all-reduce.
    case compute
}

/// The efficiency a job reaches: the model's own MFU if given, else its family's default scaled
/// by the device kind.
public func modelFlopsUtilization(family: ModelFamily, override: Double?, on device: AcceleratorModel) -> Double {
    override ?? family.defaultMFU * device.kind.efficiencyFactor
}
