# otel-ebpf as a container: run it privileged (or with CAP_BPF, CAP_PERFMON, CAP_SYS_RESOURCE
# where available) with the host's PID namespace so it sees every process:
#   docker run --rm --privileged --pid=host -v /sys/kernel:/sys/kernel \
#     -e OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 otel-ebpf
FROM debian:bookworm-slim
WORKDIR /opt/otel-ebpf
COPY . .
# Installs bcc, kernel headers (used when the host's own are not mounted at /lib/modules) and the venv.
RUN sh scripts/setup.sh && rm -rf /var/lib/apt/lists/*
ENV PATH=/opt/otel-ebpf/.venv/bin:$PATH
ENTRYPOINT ["otel-ebpf"]
CMD ["run"]
