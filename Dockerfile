# soudan: one static binary on a distroless base, running as a non-root user
# with its data file in the /data volume.
#
#   docker build -t soudan --build-arg VERSION=v0.1.0 --build-arg COMMIT=$(git rev-parse HEAD) .
#   docker run -v soudan-data:/data -e SOUDAN_TZ=Asia/Tokyo soudan
#
# A named volume takes /data's owner (nonroot, 65532) on first use; a bind-
# mounted host directory must be writable by uid 65532.

# GO_VERSION matches the go line of go.mod (.ci/run checks it).
ARG GO_VERSION=1.26.8

FROM golang:${GO_VERSION} AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=""
ARG COMMIT=""
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
      -o /out/soudan ./cmd/soudan \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/soudan /soudan
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
VOLUME /data
ENV SOUDAN_DB=/data/soudan.db
USER nonroot
ENTRYPOINT ["/soudan"]
CMD ["serve"]
