"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json."""

_ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    """Every error, on every path, is an ``Error`` body; a server fault (500) can happen anywhere."""
    texts = {
        400: "Yêu cầu không hợp lệ",
        401: "Thiếu hoặc sai mã truy cập",
        403: "Ngoài phạm vi",
        404: "Không tìm thấy",
        405: "Phương thức không được hỗ trợ",
        409: "Bị từ chối (ví dụ: đã trả lời)",
        410: "Khảo sát không nhận trả lời",
        413: "Nội dung quá lớn (trên 10 MB)",
        422: "Câu trả lời không hợp lệ",
        429: "Quá nhiều yêu cầu",
        500: "Lỗi hệ thống",
    }
    return {str(code): _json(_ERROR, texts[code]) for code in (*codes, 500)}


SURVEY_ID = {"name": "survey_id", "in": "path", "required": True, "schema": {"type": "integer"}}
# What a respondent must read and agree to before answering a survey that keeps who answered.
PRIVACY_NOTICE = {
    "type": "object",
    "required": ["required", "text", "hash"],
    "properties": {
        "required": {"type": "boolean", "description": "Có cần đồng ý trước khi gửi không"},
        "text": {"type": ["string", "null"], "description": "Nội dung thông báo (tiếng Việt)"},
        "hash": {"type": ["string", "null"], "description": "Gửi lại trong trường consent khi đồng ý"},
    },
}


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "Survey": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "state": {"enum": ["draft", "open", "closed", "archived"]},
            "audience": {"enum": ["staff", "citizens", "invited"]},
            "anonymity": {"enum": ["anonymous", "confidential", "identified"]},
            "owner_unit": {"type": "string"},
            "opens_at": {"type": ["string", "null"], "format": "date-time"},
            "closes_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "Definition": {"type": "object", "description": "Định dạng langnghe.survey/1 (docs/survey-format.md)."},
    "Bar": {
        "type": "object",
        "properties": {"value": {}, "label": {"type": "string"}, "count": {"type": "integer"}},
    },
    "TextAnswer": {
        "type": "object",
        "description": "Nhãn mà mô hình chưa đủ chắc chắn có giá trị `unsure` (“Chưa rõ”); "
        "nhãn do người duyệt hiệu chỉnh không có độ tin cậy (null) và luôn chắc chắn.",
        "properties": {
            "text": {"type": "string"},
            "sentiment": {"enum": ["negative", "neutral", "positive", "unsure", None]},
            "sentiment_label": {"type": ["string", "null"]},
            "sentiment_confidence": {"type": ["number", "null"]},
            "sentiment_sure": {"type": "boolean"},
            "kind": {"enum": ["request", "problem", "praise", "question", "other", "unsure", None]},
            "kind_label": {"type": ["string", "null"]},
            "kind_confidence": {"type": ["number", "null"]},
            "kind_sure": {"type": "boolean"},
            "topics": {"type": "array", "items": {"type": "string"}},
            "topic_confidence": {"type": ["number", "null"]},
            "topic_sure": {"type": "boolean"},
            "keyphrases": {"type": "array", "items": {"type": "string"}},
            "corrected": {"type": "boolean"},
        },
    },
    "Results": {
        "type": "object",
        "properties": {
            "survey": {"type": "integer"},
            "k": {"type": "integer"},
            "suppressed": {"type": "boolean"},
            "total": {"type": ["integer", "null"]},
            "invited": {"type": ["integer", "null"]},
            "response_rate": {"type": ["number", "null"]},
            "narrowing": {
                "enum": ["counted", "too_small", "texts_only", "anonymous", None],
                "description": "Bộ lọc chủ đề, sắc thái, loại ý kiến đã làm gì với số liệu: `counted` — mọi "
                "số liệu chỉ tính người có ý kiến khớp bộ lọc; `too_small` — nhóm quá nhỏ để bảo đảm ẩn danh, "
                "`texts_only` — nhiều bộ lọc cùng lúc, `anonymous` — khảo sát ẩn danh: chỉ danh sách ý kiến và "
                "số ý kiến theo nhãn được lọc; null — không có bộ lọc nào như vậy.",
            },
            "sentiments": {
                "type": "object",
                "additionalProperties": {"type": "integer"},
                "description": "Số ý kiến theo sắc thái như hiển thị (`unsure`: chưa rõ).",
            },
            "kinds": {
                "type": "object",
                "additionalProperties": {"type": "integer"},
                "description": "Số ý kiến theo loại như hiển thị (`unsure`: chưa rõ).",
            },
            "topics": {"type": "object", "additionalProperties": {"type": "integer"}},
            "awaiting_release": {
                "type": "integer",
                "description": (
                    "Ý kiến ẩn danh đang chờ đủ k người cùng đơn vị để công bố (cả khảo sát, không chia theo đơn vị)."
                ),
            },
            "groups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "unit": {"type": ["string", "null"]},
                        "name": {"type": "string"},
                        "count": {"type": "integer"},
                        "merged_units": {"type": "integer"},
                    },
                },
            },
            "questions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "key": {"type": "string"},
                        "kind": {"type": "string"},
                        "answered": {"type": "integer"},
                        "bars": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}},
                        "average": {"type": ["number", "null"]},
                        "nps": {"type": ["integer", "null"]},
                        "texts": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/TextAnswer"},
                            "description": "Ý kiến đã che thông tin cá nhân, với nhãn tự động.",
                        },
                    },
                },
            },
        },
    },
}


PATHS = {
    "/openapi.json": {
        "get": {"summary": "Tài liệu này", "security": [], "responses": {"200": {"description": "OpenAPI"}}}
    },
    "/surveys": {
        "get": {
            "summary": "Các khảo sát được xem kết quả và được trả lời",
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "properties": {
                            "readable": {"type": "array", "items": {"$ref": "#/components/schemas/Survey"}},
                            "answerable": {"type": "array", "items": {"$ref": "#/components/schemas/Survey"}},
                        },
                    },
                    "Danh sách",
                ),
                **_errors(401),
            },
        }
    },
    "/surveys/{survey_id}": {
        "get": {
            "summary": "Định nghĩa một khảo sát",
            "parameters": [SURVEY_ID],
            "responses": {
                "200": _json(
                    {
                        "allOf": [
                            {"$ref": "#/components/schemas/Survey"},
                            {
                                "type": "object",
                                "properties": {
                                    "definition": {"$ref": "#/components/schemas/Definition"},
                                    "privacy_notice": PRIVACY_NOTICE,
                                },
                            },
                        ]
                    },
                    "Khảo sát",
                ),
                **_errors(401, 403, 404),
            },
        }
    },
    "/surveys/{survey_id}/responses": {
        "post": {
            "summary": "Gửi câu trả lời cho khảo sát cán bộ, với tư cách người giữ mã truy cập",
            "description": "Khảo sát người dân và khảo sát theo lời mời chỉ nhận câu trả lời qua đường dẫn "
            "công khai hoặc đường dẫn mời riêng (403). Khóa Idempotency-Key gắn với người gửi: "
            "khóa của người khác không trả về câu trả lời của họ.",
            "parameters": [
                SURVEY_ID,
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string", "minLength": 8, "maxLength": 64},
                    "description": "Gửi lại cùng khóa không tạo bản trả lời mới.",
                },
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["answers"],
                            "properties": {
                                "answers": {
                                    "type": "object",
                                    "description": "{mã câu hỏi: giá trị}; chọn nhiều: mảng; "
                                    'bảng: {mã dòng: điểm}; ý kiến khác: "<mã>__other".',
                                },
                                "consent": {
                                    "type": "string",
                                    "description": "Khảo sát bảo mật hoặc ghi danh: mã (hash) của thông báo "
                                    "xử lý dữ liệu cá nhân mà người trả lời đã đọc và đồng ý "
                                    "(privacy_notice.hash); thiếu hoặc sai thì không ghi nhận (422).",
                                },
                            },
                        }
                    }
                },
            },
            "responses": {
                "201": _json(
                    {
                        "type": "object",
                        "properties": {"status": {"const": "accepted"}, "replayed": {"const": False}},
                    },
                    "Đã ghi nhận",
                ),
                "200": _json(
                    {
                        "type": "object",
                        "properties": {"status": {"const": "accepted"}, "replayed": {"const": True}},
                    },
                    "Đã ghi nhận trước đó (cùng Idempotency-Key)",
                ),
                **_errors(400, 401, 403, 404, 409, 410, 413, 422),
            },
        }
    },
    "/surveys/{survey_id}/results": {
        "get": {
            "summary": "Kết quả trong phạm vi của người gọi",
            "parameters": [
                SURVEY_ID,
                {
                    "name": "unit",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "Mã đơn vị để lọc (trong phạm vi).",
                },
                {
                    "name": "sentiment",
                    "in": "query",
                    "schema": {"enum": ["negative", "neutral", "positive", "unsure"]},
                    "description": "Chỉ liệt kê ý kiến có sắc thái này (`unsure`: chưa rõ); số đếm không đổi.",
                },
                {
                    "name": "kind",
                    "in": "query",
                    "schema": {"enum": ["request", "problem", "praise", "question", "other", "unsure"]},
                    "description": "Chỉ liệt kê ý kiến thuộc loại này: kiến nghị, phản ánh, ghi nhận, câu hỏi, khác "
                    "(`unsure`: chưa rõ); số đếm không đổi.",
                },
                {
                    "name": "topic",
                    "in": "query",
                    "schema": {"type": "string"},
                    "description": "Chỉ liệt kê ý kiến có chủ đề này.",
                },
            ],
            "responses": {
                "200": _json({"$ref": "#/components/schemas/Results"}, "Kết quả"),
                **_errors(400, 401, 403, 404),
            },
        }
    },
}


def document() -> dict:
    """The document itself: what every route takes and returns."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Lắng nghe ý kiến — API",
            "version": "1",
            "description": "Khảo sát tâm tư, nguyện vọng. Xác thực bằng mã truy cập: "
            "`Authorization: Bearer <mã>` (tạo bằng `flask users create-token`). "
            "Kết quả tuân thủ ngưỡng ẩn danh k: nhóm dưới k người không bao giờ được trả về. "
            "Mọi lỗi (400, 401, 403, 404, 405, 409, 410, 413, 422, 429, 500) trả về JSON "
            '`{"error": mã lỗi, "message": lời giải thích tiếng Việt}`.',
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": PATHS,
    }
