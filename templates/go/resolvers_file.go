package {{ package }}
{% for block in blocks %}
{{ block }}
{% endfor -%}
