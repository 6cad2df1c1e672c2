{%- if let Some(doc) = doc %}// {{ doc }}
{% endif -%}
func (r *{{ receiver }}) {{ method }}({{ parameters }}) ({{ result }}, error) {
{%- for line in body_comments %}
	{{ line }}
{%- endfor %}
	panic({{ fmt }}.Errorf("not implemented: {{ method }} - {{ field }}"))
}
