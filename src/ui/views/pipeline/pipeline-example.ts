/** The pipeline editor's starting file: a 1080p video-analytics pipeline in issue #12's format. */
export const PIPELINE_EXAMPLE = `kind: pipeline
name: video analytics, 32 streams of 1080p30
arrival_rate_per_s: 960        # 32 streams x 30 frames/s
stages:
  - name: decode
    rate_per_s: 1200           # a hardware video decoder, frames/s at 1080p
    power_w: 15                # decoded frames stay in the GPU's memory: no link to the next stage
  - name: resize
    rate_per_s: 2400
    link: { id: pcie-gen4-x16, bytes_per_item: 602112 } # 224x224x3 fp32
  - name: detector
    chip: nvidia-l4
    workload: { model: resnet-50 }
    batch: 32
  - name: classifier
    chip: nvidia-l4
    workload: { model: vit-b-16 }
    batch: 32
    count: 2
`;
